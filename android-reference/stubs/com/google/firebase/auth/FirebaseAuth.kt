/*
 * Stub for compiling docs/clients.md on the JVM: com.google.firebase.auth.FirebaseAuth, the
 * members that code and its JVM test use. The instance talks to the Auth emulator (plumbing:
 * fleetengine.emulator.EmulatorAuth).
 *
 * Reference: https://firebase.google.com/docs/reference/android/com/google/firebase/auth/FirebaseAuth
 *   public abstract class FirebaseAuth
 *   static @NonNull FirebaseAuth getInstance()
 *   @Nullable FirebaseUser getCurrentUser()                     (Kotlin: currentUser)
 *   @NonNull Task<AuthResult> signInWithEmailAndPassword(@NonNull String email, @NonNull String password)
 *   void signOut()
 *   void useEmulator(@NonNull String host, int port)
 */
package com.google.firebase.auth

import com.google.android.gms.tasks.Task
import fleetengine.emulator.EmulatorAuth

abstract class FirebaseAuth internal constructor() {
    abstract val currentUser: FirebaseUser?

    abstract fun signInWithEmailAndPassword(email: String, password: String): Task<AuthResult>

    abstract fun signOut()

    abstract fun useEmulator(host: String, port: Int)

    companion object {
        @JvmStatic
        fun getInstance(): FirebaseAuth = EmulatorAuth.default
    }
}
