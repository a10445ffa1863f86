/*
 * Test plumbing behind the FirebaseAuth stub, not part of any published API: email and password
 * sign-in against the Auth emulator's REST API, which hands out real Auth-emulator ID tokens.
 */
package fleetengine.emulator

import com.google.android.gms.tasks.CompletableTask
import com.google.android.gms.tasks.Task
import com.google.firebase.auth.AuthResult
import com.google.firebase.auth.FirebaseAuth
import com.google.firebase.auth.FirebaseUser

internal class EmulatorUser(override val uid: String, val idToken: String) : FirebaseUser()

internal class EmulatorAuth : FirebaseAuth() {
    @Volatile
    private var host: String? = null

    @Volatile
    private var user: EmulatorUser? = null

    override val currentUser: FirebaseUser?
        get() = user

    /** The signed-in user's ID token, which the Functions stub sends as the SDK does. */
    val currentIdToken: String?
        get() = user?.idToken

    override fun useEmulator(host: String, port: Int) {
        this.host = "$host:$port"
    }

    override fun signInWithEmailAndPassword(email: String, password: String): Task<AuthResult> {
        val task = CompletableTask<AuthResult>()
        val emulator = host ?: error("stub: call useEmulator first; only the Auth emulator is here")
        val answer = Http.postJson(
            "http://$emulator/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword" +
                "?key=fake-api-key",
            mapOf("email" to email, "password" to password, "returnSecureToken" to true),
        )
        val body = answer.body as? Map<*, *>
        val uid = body?.get("localId") as? String
        val idToken = body?.get("idToken") as? String
        if (answer.status != 200 || uid == null || idToken == null) {
            val refused = IllegalStateException("sign-in refused: ${answer.status}")
            task.completion.completeExceptionally(refused)
        } else {
            val signedIn = EmulatorUser(uid, idToken)
            user = signedIn
            task.completion.complete(object : AuthResult {
                override val user: FirebaseUser = signedIn
            })
        }
        return task
    }

    override fun signOut() {
        user = null
    }

    companion object {
        val default = EmulatorAuth()
    }
}
