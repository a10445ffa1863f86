/*
 * Stub for compiling docs/clients.md on the JVM: com.google.firebase.functions.HttpsCallableResult.
 *
 * Reference: https://firebase.google.com/docs/reference/kotlin/com/google/firebase/functions/HttpsCallableResult
 *   class HttpsCallableResult; val data: Any? — the callable's result, maps as Map, whole
 *   numbers as Int or Long
 */
package com.google.firebase.functions

class HttpsCallableResult internal constructor(val data: Any?)
