/*
 * Stub for compiling docs/clients.md on the JVM: com.google.firebase.Firebase, the receiver of
 * the Kotlin extensions (Firebase.auth, Firebase.functions(region)).
 *
 * Reference: https://firebase.google.com/docs/reference/kotlin/com/google/firebase/Firebase
 *   object Firebase
 */
package com.google.firebase

object Firebase
