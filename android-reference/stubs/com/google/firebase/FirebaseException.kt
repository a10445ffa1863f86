/*
 * Stub for compiling docs/clients.md on the JVM: com.google.firebase.FirebaseException, the
 * superclass of FirebaseFunctionsException.
 *
 * Reference: https://firebase.google.com/docs/reference/kotlin/com/google/firebase/FirebaseException
 *   open class FirebaseException : Exception; constructors (message) and (message, cause)
 */
package com.google.firebase

open class FirebaseException(message: String, cause: Throwable? = null) : Exception(message, cause)
