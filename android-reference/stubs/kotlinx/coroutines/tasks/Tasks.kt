/*
 * Stub for compiling docs/clients.md on the JVM: kotlinx.coroutines.tasks.await, from the
 * artifact org.jetbrains.kotlinx:kotlinx-coroutines-play-services (not in the kotlin-compiler
 * package; kotlinx-coroutines-core-jvm is).
 *
 * Reference: https://kotlinlang.org/api/kotlinx.coroutines/kotlinx-coroutines-play-services/kotlinx.coroutines.tasks/await.html
 *   suspend fun <T> Task<T>.await(): T — awaits the task without blocking a thread, returns its
 *   result, or throws the exception it failed with.
 */
package kotlinx.coroutines.tasks

import com.google.android.gms.tasks.Task
import kotlinx.coroutines.future.await as awaitFuture

suspend fun <T> Task<T>.await(): T = completion.awaitFuture()
