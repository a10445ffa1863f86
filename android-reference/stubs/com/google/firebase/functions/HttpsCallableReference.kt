/*
 * Stub for compiling docs/clients.md on the JVM: com.google.firebase.functions.HttpsCallableReference.
 * call() POSTs to the callable in the Functions emulator with the signed-in user's Auth-emulator
 * ID token, as the SDK does (plumbing: fleetengine.emulator.CallableClient).
 *
 * Reference: https://firebase.google.com/docs/reference/kotlin/com/google/firebase/functions/HttpsCallableReference
 *   class HttpsCallableReference
 *   fun call(data: Any?): Task<HttpsCallableResult>
 */
package com.google.firebase.functions

import com.google.android.gms.tasks.Task
import fleetengine.emulator.CallableClient

class HttpsCallableReference internal constructor(
    private val client: CallableClient,
    private val name: String,
    private val options: HttpsCallableOptions,
) {
    fun call(data: Any?): Task<HttpsCallableResult> =
        client.call(name, data, options.limitedUseAppCheckTokens)
}
