/*
 * Stub for compiling docs/clients.md on the JVM: com.google.firebase.auth.FirebaseUser, only the
 * uid.
 *
 * Reference: https://firebase.google.com/docs/reference/android/com/google/firebase/auth/FirebaseUser
 *   public abstract class FirebaseUser
 *   abstract @NonNull String getUid()                           (Kotlin: uid)
 */
package com.google.firebase.auth

abstract class FirebaseUser internal constructor() {
    abstract val uid: String
}
