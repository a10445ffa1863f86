/*
 * Stub for compiling docs/clients.md on the JVM: the Kotlin extensions of the main
 * firebase-functions module that the code uses.
 *
 * Reference: https://firebase.google.com/docs/reference/kotlin/com/google/firebase/functions/package-summary
 *   fun Firebase.functions(regionOrCustomDomain: String): FirebaseFunctions
 *   fun FirebaseFunctions.getHttpsCallable(name: String, init: HttpsCallableOptions.Builder.() -> Unit): HttpsCallableReference
 */
package com.google.firebase.functions

import com.google.firebase.Firebase

fun Firebase.functions(regionOrCustomDomain: String): FirebaseFunctions =
    FirebaseFunctions.getInstance(regionOrCustomDomain)

fun FirebaseFunctions.getHttpsCallable(
    name: String,
    init: HttpsCallableOptions.Builder.() -> Unit,
): HttpsCallableReference =
    getHttpsCallable(name, HttpsCallableOptions.Builder().apply(init).build())
