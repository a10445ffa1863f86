/*
 * Test plumbing behind the stubs, not part of any published API: what the stubs need to know and
 * what the JVM test observes. The project comes from GCLOUD_PROJECT, which `firebase
 * emulators:exec` sets (an app reads it from google-services.json).
 */
package fleetengine.emulator

import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger

internal object Emulators {
    val projectId: String
        get() = System.getenv("GCLOUD_PROJECT")
            ?: error("GCLOUD_PROJECT is not set: run inside firebase emulators:exec")
}

/** The callable requests the stubs sent, and a hook into their answers, for the JVM test. */
internal object CallableTraffic {
    private val posts = ConcurrentHashMap<String, AtomicInteger>()

    /** Runs after the emulator answered a call and before its Task completes (once, if set). */
    @Volatile
    var beforeAnswer: (() -> Unit)? = null

    /** expiresInSeconds of the last token the callable answered. */
    @Volatile
    var lastExpiresInSeconds: Long = 0

    fun posted(name: String) {
        posts.computeIfAbsent(name) { AtomicInteger() }.incrementAndGet()
    }

    fun posts(name: String): Int = posts[name]?.get() ?: 0
}

/**
 * An App Check token as the Functions emulator accepts it: JWT-shaped, decoded but not verified.
 * It stands in for what App Check's debug provider would attach on a device.
 */
internal fun emulatorAppCheckToken(limitedUse: Boolean): String {
    val encoder = java.util.Base64.getUrlEncoder().withoutPadding()
    val encode = { value: Any -> encoder.encodeToString(Json.write(value).toByteArray()) }
    val now = System.currentTimeMillis() / 1000
    val claims = linkedMapOf<String, Any>(
        "sub" to "1:000000000000:android:0000000000000000",
        "aud" to listOf("projects/${Emulators.projectId}"),
        "iss" to "https://firebaseappcheck.googleapis.com/000000000000",
        "iat" to now,
        "exp" to now + 3600,
    )
    if (limitedUse) claims["jti"] = java.util.UUID.randomUUID().toString()
    return encode(mapOf("alg" to "none", "typ" to "JWT")) + "." + encode(claims) + "."
}
