/*
 * Stub for compiling docs/clients.md on the JVM: com.google.firebase.functions.HttpsCallableOptions
 * and its Builder.
 *
 * Reference: https://firebase.google.com/docs/reference/kotlin/com/google/firebase/functions/HttpsCallableOptions
 *   class HttpsCallableOptions; val limitedUseAppCheckTokens: Boolean
 * Reference: https://firebase.google.com/docs/reference/kotlin/com/google/firebase/functions/HttpsCallableOptions.Builder
 *   class HttpsCallableOptions.Builder(); var limitedUseAppCheckTokens: Boolean;
 *   fun build(): HttpsCallableOptions
 */
package com.google.firebase.functions

class HttpsCallableOptions private constructor(val limitedUseAppCheckTokens: Boolean) {
    class Builder {
        @JvmField
        var limitedUseAppCheckTokens: Boolean = false

        fun build(): HttpsCallableOptions = HttpsCallableOptions(limitedUseAppCheckTokens)
    }
}
