/*
 * Test plumbing behind the stubs, not part of any published API: JSON over HTTP to the local
 * emulators, with java.net.http.
 */
package fleetengine.emulator

import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration

internal class JsonResponse(val status: Int, val body: Any?)

internal object Http {
    private val client: HttpClient = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .build()

    fun postJson(url: String, body: Any?, headers: Map<String, String> = emptyMap()): JsonResponse {
        val request = HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("content-type", "application/json")
            .apply { headers.forEach { (name, value) -> header(name, value) } }
            .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
            .build()
        val response = client.send(request, HttpResponse.BodyHandlers.ofString())
        val text = response.body()
        return JsonResponse(response.statusCode(), if (text.isBlank()) null else Json.parse(text))
    }
}
