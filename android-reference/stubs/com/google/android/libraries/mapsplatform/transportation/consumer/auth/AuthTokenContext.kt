/*
 * Stub for compiling docs/clients.md on the JVM: the Consumer SDK's AuthTokenContext, only the
 * trip ID. The SDK creates contexts; here the JVM test does.
 *
 * Reference: https://developers.google.com/maps/documentation/mobility/journey-sharing/on-demand/android/auth-sdk
 *   AuthTokenFactory.getToken(AuthTokenContext context); context.getTripId()   (Kotlin: tripId)
 * Import path as in Google's sample https://github.com/googlemaps/android-on-demand-rides-deliveries-samples
 *   (kotlin/kotlin-consumer/.../TripAuthTokenFactory.kt: `context.tripId!!`, so it may be null)
 */
package com.google.android.libraries.mapsplatform.transportation.consumer.auth

class AuthTokenContext internal constructor(val tripId: String?)
