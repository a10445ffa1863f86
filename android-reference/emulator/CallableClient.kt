/*
 * Test plumbing behind the FirebaseFunctions stub, not part of any published API: the callable
 * protocol as the Android SDK speaks it (POST {"data": ...} to
 * http://<emulator>/<project>/<region>/<name>, the ID token of the signed-in user of the default
 * app as a Bearer token, an App Check token; {"result": ...} or {"error": {"status": ...}}
 * back), on a background thread, completing the call's Task.
 */
package fleetengine.emulator

import com.google.android.gms.tasks.CompletableTask
import com.google.android.gms.tasks.Task
import com.google.firebase.functions.FirebaseFunctionsException
import com.google.firebase.functions.FirebaseFunctionsException.Code
import com.google.firebase.functions.HttpsCallableResult
import java.util.concurrent.Executors

internal class CallableClient(private val region: String) {
    @Volatile
    private var emulator: String? = null

    fun useEmulator(host: String, port: Int) {
        emulator = "$host:$port"
    }

    fun call(name: String, data: Any?, limitedUse: Boolean): Task<HttpsCallableResult> {
        val task = CompletableTask<HttpsCallableResult>()
        val origin = emulator
            ?: error("stub: call useEmulator first; only the Functions emulator is here")
        val idToken = EmulatorAuth.default.currentIdToken
        executor.execute {
            try {
                val headers = buildMap {
                    put("x-firebase-appcheck", emulatorAppCheckToken(limitedUse))
                    if (idToken != null) put("authorization", "Bearer $idToken")
                }
                val answer = Http.postJson(
                    "http://$origin/${Emulators.projectId}/$region/$name",
                    mapOf("data" to data),
                    headers,
                )
                CallableTraffic.posted(name)
                CallableTraffic.beforeAnswer?.let { hook ->
                    CallableTraffic.beforeAnswer = null
                    hook()
                }
                val body = answer.body as? Map<*, *>
                if (answer.status == 200 && body != null && "result" in body) {
                    val result = body["result"]
                    ((result as? Map<*, *>)?.get("expiresInSeconds") as? Number)?.let {
                        CallableTraffic.lastExpiresInSeconds = it.toLong()
                    }
                    task.completion.complete(HttpsCallableResult(result))
                } else {
                    task.completion.completeExceptionally(failure(answer.status, body))
                }
            } catch (e: Exception) {
                task.completion.completeExceptionally(
                    FirebaseFunctionsException("INTERNAL", Code.INTERNAL, null, e),
                )
            }
        }
        return task
    }

    /** As the SDK reads an error: the callable's status, else one from the HTTP status. */
    private fun failure(status: Int, body: Map<*, *>?): FirebaseFunctionsException {
        val error = body?.get("error") as? Map<*, *>
        val named = (error?.get("status") as? String)?.let { name ->
            Code.entries.firstOrNull { it.name == name }
        }
        val code = named ?: when (status) {
            400 -> Code.INVALID_ARGUMENT
            401 -> Code.UNAUTHENTICATED
            403 -> Code.PERMISSION_DENIED
            404 -> Code.NOT_FOUND
            503 -> Code.UNAVAILABLE
            else -> Code.INTERNAL
        }
        val message = error?.get("message") as? String ?: code.name
        return FirebaseFunctionsException(message, code, error?.get("details"))
    }

    private companion object {
        val executor = Executors.newCachedThreadPool { runnable ->
            Thread(runnable, "callable").apply { isDaemon = true }
        }
    }
}
