/*
 * Stub for compiling docs/clients.md on the JVM: the Kotlin extension Firebase.auth of the main
 * firebase-auth module.
 *
 * Reference: https://firebase.google.com/docs/reference/kotlin/com/google/firebase/auth/package-summary
 *   val Firebase.auth: FirebaseAuth — the FirebaseAuth instance of the default FirebaseApp
 */
package com.google.firebase.auth

import com.google.firebase.Firebase

val Firebase.auth: FirebaseAuth
    get() = FirebaseAuth.getInstance()
