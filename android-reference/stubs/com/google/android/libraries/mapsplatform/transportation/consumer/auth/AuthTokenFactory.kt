/*
 * Stub for compiling docs/clients.md on the JVM: the Consumer SDK's AuthTokenFactory.
 *
 * Reference: https://developers.google.com/maps/documentation/mobility/journey-sharing/on-demand/android/auth-sdk
 *   interface AuthTokenFactory { String getToken(AuthTokenContext context) }
 * Import path as in Google's sample https://github.com/googlemaps/android-on-demand-rides-deliveries-samples
 *   (kotlin/kotlin-consumer/.../TripAuthTokenFactory.kt: `override fun getToken(context: AuthTokenContext): String`)
 */
package com.google.android.libraries.mapsplatform.transportation.consumer.auth

interface AuthTokenFactory {
    fun getToken(context: AuthTokenContext): String
}
