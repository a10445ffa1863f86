/*
 * Stub for compiling docs/clients.md on the JVM: com.google.firebase.auth.AuthResult, the result
 * of a sign-in (the JVM test signs in with it).
 *
 * Reference: https://firebase.google.com/docs/reference/android/com/google/firebase/auth/AuthResult
 *   public interface AuthResult
 *   abstract @Nullable FirebaseUser getUser()                   (Kotlin: user)
 */
package com.google.firebase.auth

interface AuthResult {
    val user: FirebaseUser?
}
