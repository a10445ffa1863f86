/*
 * The JVM test of the Android code of docs/clients.md: it drives the page's own FleetEngineTokens,
 * DriverAuthTokenFactory and TripAuthTokenFactory (compiled from the page with this file), through
 * the stubs, against the callable in the Functions emulator, signed in with real Auth-emulator ID
 * tokens. test/integration/jvm-cache.test.ts runs it inside `firebase emulators:exec` and checks
 * what it saw: one JSON line on stdout. Tokens go to files for the Node side to verify, never to
 * the output.
 */
import com.google.android.libraries.mapsplatform.transportation.consumer.auth.AuthTokenContext as TripContext
import com.google.android.libraries.mapsplatform.transportation.driver.api.base.data.AuthTokenContext as VehicleContext
import com.google.firebase.auth.FirebaseAuth
import com.google.firebase.functions.FirebaseFunctions
import com.google.firebase.functions.FirebaseFunctionsException
import fleetengine.emulator.CallableTraffic
import fleetengine.emulator.Json
import java.io.File
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong
import kotlin.concurrent.thread
import kotlin.system.exitProcess
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.tasks.await

/** What the Node side tells the test: where the emulators are, who signs in, which trips. */
private class Settings(json: Map<*, *>) {
    private val values = json

    fun string(name: String): String = values[name] as? String ?: error("setting $name missing")

    fun int(name: String): Int =
        (values[name] as? Number)?.toInt() ?: error("setting $name missing")
}

/** A monotonic clock the test moves by hand. */
private class ManualClock {
    private val now = AtomicLong(1_000_000_000L)

    fun read(): Long = now.get()

    fun advance(millis: Long) {
        now.addAndGet(millis)
    }
}

private lateinit var settings: Settings
private val auth: FirebaseAuth by lazy {
    FirebaseAuth.getInstance().apply {
        val (host, port) = settings.string("authHost").split(":")
        useEmulator(host, port.toInt())
    }
}

private fun functionsIn(region: String): FirebaseFunctions =
    FirebaseFunctions.getInstance(region).apply {
        useEmulator(settings.string("functionsHost"), settings.int("functionsPort"))
    }

private fun signIn(email: String) {
    auth.signOut()
    runBlocking { auth.signInWithEmailAndPassword(email, settings.string("password")).await() }
}

private fun calls(name: String = FUNCTION_NAME): Int = CallableTraffic.posts(name)

/** The page's cache for the callable of the test run's region, on the real clock or a test's. */
private fun newTokens(clock: ManualClock? = null): FleetEngineTokens {
    val functions = functionsIn(settings.string("region"))
    return if (clock == null) {
        FleetEngineTokens(functions = functions, auth = auth)
    } else {
        FleetEngineTokens(functions = functions, auth = auth, elapsedRealtime = clock::read)
    }
}

/** Where the Node side finds a token to verify. */
private fun keep(name: String, token: String) {
    File(settings.string("tokenDir"), "$name.jwt").writeText(token)
}

/** The documented exception's code, or "none" when a token came back. */
private fun refusal(block: () -> String): String =
    try {
        block()
        "none"
    } catch (e: FleetEngineTokenException) {
        e.code.name
    }

private fun trip(id: String) = TripContext(id)

/** Concurrent getToken calls for one trip, from the SDK's threads, share one callable call. */
private fun concurrentCallers(): Map<String, Any?> {
    signIn(settings.string("rider"))
    val clock = ManualClock()
    val factory = TripAuthTokenFactory(newTokens(clock))
    val callers = 8
    val started = CountDownLatch(callers)
    CallableTraffic.beforeAnswer = {
        started.await(20, TimeUnit.SECONDS)
        Thread.sleep(1000) // every caller is now waiting on the one call in flight
        // Past the token's refresh point: a caller arriving after this call ended would have to
        // call again, so one call in all means all callers shared it.
        clock.advance(3_600_000)
    }
    val before = calls()
    val tokens = arrayOfNulls<String>(callers)
    val threads = (0 until callers).map { index ->
        thread(name = "sdk-$index") {
            started.countDown()
            tokens[index] = factory.getToken(trip(settings.string("concurrentTrip")))
        }
    }
    threads.forEach { it.join(60_000) }
    CallableTraffic.beforeAnswer = null
    tokens.filterNotNull().firstOrNull()?.let { keep("concurrent", it) }
    return mapOf(
        "callers" to callers,
        "answered" to tokens.count { it != null },
        "distinctTokens" to tokens.filterNotNull().toSet().size,
        "calls" to calls() - before,
    )
}

/** A token is reused while more than 5 minutes of it remain, and refreshed once less is left. */
private fun refreshMargin(): Map<String, Any?> {
    signIn(settings.string("rider"))
    val clock = ManualClock()
    val tokens = newTokens(clock)
    val request = mapOf("type" to "consumer", "tripId" to settings.string("refreshTrip"))
    val before = calls()
    keep("refresh", tokens.blockingToken(request))
    val lifetimeSeconds = CallableTraffic.lastExpiresInSeconds
    val first = calls() - before
    // 5 minutes and 2 seconds of life left, by the page's own counting (from when it was sent).
    clock.advance((lifetimeSeconds - 300) * 1000L - 2000)
    tokens.blockingToken(request)
    val withMoreThanMarginLeft = calls() - before
    clock.advance(2001) // now a millisecond less than 5 minutes left
    tokens.blockingToken(request)
    val withLessThanMarginLeft = calls() - before
    clock.advance(60_000) // the refreshed token is new again
    tokens.blockingToken(request)
    return mapOf(
        "lifetimeSeconds" to lifetimeSeconds,
        "callsAfterFirst" to first,
        "callsWith302sLeft" to withMoreThanMarginLeft,
        "callsWith299sLeft" to withLessThanMarginLeft,
        "callsAMinuteAfterRefresh" to calls() - before,
    )
}

/** After a sign-out and another sign-in, the previous user's token is not served. */
private fun userSwitch(): Map<String, Any?> {
    signIn(settings.string("rider"))
    val tokens = newTokens()
    val request = mapOf("type" to "consumer", "tripId" to settings.string("switchTrip"))
    val rider = refusal { tokens.blockingToken(request) }
    signIn(settings.string("driver")) // not a rider of that trip
    val before = calls()
    val driver = refusal { tokens.blockingToken(request) }
    return mapOf("rider" to rider, "driverAfterSwitch" to driver, "driverCalls" to calls() - before)
}

/** The user switches while the rider's call is in flight: its answer reaches nobody. */
private fun switchDuringCall(): Map<String, Any?> {
    signIn(settings.string("rider"))
    val tokens = newTokens()
    val request = mapOf("type" to "consumer", "tripId" to settings.string("raceTrip"))
    CallableTraffic.beforeAnswer = { signIn(settings.string("driver")) }
    val before = calls()
    val inFlight = refusal { tokens.blockingToken(request) }
    val next = refusal { tokens.blockingToken(request) }
    return mapOf("callInFlight" to inFlight, "nextCall" to next, "calls" to calls() - before)
}

/** Someone else's trip: the factory throws the documented exception with the callable's code. */
private fun permissionDenied(): Map<String, Any?> {
    signIn(settings.string("rider"))
    val factory = TripAuthTokenFactory(newTokens())
    return try {
        factory.getToken(trip(settings.string("othersTrip")))
        mapOf("thrown" to "nothing")
    } catch (e: FleetEngineTokenException) {
        mapOf(
            "thrown" to e::class.simpleName,
            "code" to e.code.name,
            "causeCode" to (e.cause as? FirebaseFunctionsException)?.code?.name,
        )
    }
}

/** The Driver SDK's factory: a driver token for the vehicle the SDK names. */
private fun driverFactory(): Map<String, Any?> {
    signIn(settings.string("driver"))
    val factory = DriverAuthTokenFactory(newTokens())
    keep("driver", factory.getToken(VehicleContext(settings.string("vehicle"))))
    val others = refusal { factory.getToken(VehicleContext("someone-elses-vehicle")) }
    return mapOf("othersVehicle" to others)
}

/**
 * A trusted delivery driver's factory, against the renamed callable (whose params enable that
 * type): the task the SDK names goes into the request, and another vehicle's task is refused.
 */
private fun trustedDriverFactory(): Map<String, Any?> {
    signIn(settings.string("deliveryDriver"))
    val tokens = FleetEngineTokens(
        functions = functionsIn(settings.string("renamedRegion")),
        auth = auth,
        functionName = settings.string("renamedFunction"),
    )
    val factory = DriverAuthTokenFactory(tokens, "trustedDeliveryDriver")
    val vehicle = settings.string("deliveryVehicle")
    keep("trusted", factory.getToken(VehicleContext(vehicle, settings.string("task"))))
    val othersTask = VehicleContext(vehicle, settings.string("othersTask"))
    val others = refusal { factory.getToken(othersTask) }
    return mapOf("othersTask" to others)
}

/** functionName reaches a callable served under another name, in its own region. */
private fun renamedCallable(): Map<String, Any?> {
    signIn(settings.string("rider"))
    val name = settings.string("renamedFunction")
    val tokens = FleetEngineTokens(
        functions = functionsIn(settings.string("renamedRegion")),
        auth = auth,
        functionName = name,
    )
    val before = calls(name)
    val request = mapOf("type" to "consumer", "tripId" to settings.string("renamedTrip"))
    keep("renamed", tokens.blockingToken(request))
    return mapOf("calls" to calls(name) - before)
}

fun main(args: Array<String>) {
    try {
        settings = Settings(Json.parse(args.single()) as Map<*, *>)
        val report = linkedMapOf(
            "concurrent" to concurrentCallers(),
            "refresh" to refreshMargin(),
            "userSwitch" to userSwitch(),
            "switchDuringCall" to switchDuringCall(),
            "permissionDenied" to permissionDenied(),
            "driver" to driverFactory(),
            "renamed" to renamedCallable(),
            "trustedDriver" to trustedDriverFactory(),
        )
        println(Json.write(report))
        exitProcess(0)
    } catch (e: Throwable) {
        e.printStackTrace()
        exitProcess(1)
    }
}
