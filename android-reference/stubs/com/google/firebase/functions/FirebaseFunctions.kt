/*
 * Stub for compiling docs/clients.md on the JVM: com.google.firebase.functions.FirebaseFunctions,
 * the members that code and its JVM test use. Callables are called in the Functions emulator
 * (plumbing: fleetengine.emulator.CallableClient).
 *
 * Reference: https://firebase.google.com/docs/reference/kotlin/com/google/firebase/functions/FirebaseFunctions
 *   class FirebaseFunctions
 *   fun getHttpsCallable(name: String, options: HttpsCallableOptions): HttpsCallableReference
 *   fun useEmulator(host: String, port: Int)
 *   companion: @JvmStatic fun getInstance(regionOrCustomDomain: String): FirebaseFunctions
 */
package com.google.firebase.functions

import fleetengine.emulator.CallableClient

class FirebaseFunctions internal constructor(regionOrCustomDomain: String) {
    internal val client = CallableClient(regionOrCustomDomain)

    fun getHttpsCallable(name: String, options: HttpsCallableOptions): HttpsCallableReference =
        HttpsCallableReference(client, name, options)

    fun useEmulator(host: String, port: Int) {
        client.useEmulator(host, port)
    }

    companion object {
        @JvmStatic
        fun getInstance(regionOrCustomDomain: String): FirebaseFunctions =
            FirebaseFunctions(regionOrCustomDomain)
    }
}
