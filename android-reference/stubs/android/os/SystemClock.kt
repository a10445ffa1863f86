/*
 * Stub for compiling docs/clients.md on the JVM: android.os.SystemClock, only what that code
 * uses, with its published signature.
 *
 * Reference: https://developer.android.com/reference/android/os/SystemClock#elapsedRealtime()
 *   public static long elapsedRealtime(): milliseconds since boot, including time spent in sleep.
 */
package android.os

object SystemClock {
    /** On the JVM: a monotonic clock, as Android's is (the JVM test passes its own clock). */
    @JvmStatic
    fun elapsedRealtime(): Long = System.nanoTime() / 1_000_000
}
