/*
 * Stub for compiling docs/clients.md on the JVM: com.google.android.gms.tasks.Task. The code only
 * awaits tasks (kotlinx.coroutines.tasks.await), so the stub has no public member; how a task
 * completes is the stubs' plumbing.
 *
 * Reference: https://developers.google.com/android/reference/com/google/android/gms/tasks/Task
 *   public abstract class Task<TResult>
 */
package com.google.android.gms.tasks

import java.util.concurrent.CompletableFuture

abstract class Task<TResult> internal constructor() {
    internal abstract val completion: CompletableFuture<TResult>
}

/** Plumbing: a task the stubs complete. */
internal class CompletableTask<TResult> : Task<TResult>() {
    override val completion = CompletableFuture<TResult>()
}
