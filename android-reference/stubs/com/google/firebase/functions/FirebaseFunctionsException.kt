/*
 * Stub for compiling docs/clients.md on the JVM: com.google.firebase.functions.FirebaseFunctionsException
 * and its Code.
 *
 * Reference: https://firebase.google.com/docs/reference/kotlin/com/google/firebase/functions/FirebaseFunctionsException
 *   class FirebaseFunctionsException : FirebaseException
 *   val code: FirebaseFunctionsException.Code; val details: Any?
 * Reference: https://firebase.google.com/docs/reference/kotlin/com/google/firebase/functions/FirebaseFunctionsException.Code
 *   enum class Code: OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND,
 *   ALREADY_EXISTS, PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED,
 *   OUT_OF_RANGE, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED
 */
package com.google.firebase.functions

import com.google.firebase.FirebaseException

class FirebaseFunctionsException internal constructor(
    message: String,
    val code: Code,
    val details: Any?,
    cause: Throwable? = null,
) : FirebaseException(message, cause) {
    enum class Code {
        OK,
        CANCELLED,
        UNKNOWN,
        INVALID_ARGUMENT,
        DEADLINE_EXCEEDED,
        NOT_FOUND,
        ALREADY_EXISTS,
        PERMISSION_DENIED,
        RESOURCE_EXHAUSTED,
        FAILED_PRECONDITION,
        ABORTED,
        OUT_OF_RANGE,
        UNIMPLEMENTED,
        INTERNAL,
        UNAVAILABLE,
        DATA_LOSS,
        UNAUTHENTICATED,
    }
}
