/*
 * Stub for compiling docs/clients.md on the JVM: the Driver SDK's AuthTokenContext and its nested
 * AuthTokenFactory, only what that code uses. The SDK creates contexts; here the JVM test does.
 *
 * Reference: https://developers.google.com/maps/documentation/mobility/driver-sdk/on-demand/android/authenticate
 *   class ... implements AuthTokenFactory { public String getToken(AuthTokenContext authTokenContext) }
 *   authTokenContext.getVehicleId()   (Kotlin: vehicleId; the guide's requireNonNull: may be null)
 *   authTokenContext.getTaskId()      (Kotlin: taskId; scheduled tasks: the task the SDK asks a
 *   token for, or null; as GMTDAuthorizationContext.taskID on iOS,
 *   https://developers.google.com/maps/documentation/mobility/driver-sdk/scheduled/reference/ios/Classes/GMTDAuthorizationContext)
 * Import path and nesting (AuthTokenContext.AuthTokenFactory) as in Google's sample
 * https://github.com/googlemaps/android-on-demand-rides-deliveries-samples
 *   (kotlin/kotlin-driver/.../TripAuthTokenFactory.kt: `: AuthTokenContext.AuthTokenFactory`,
 *   `override fun getToken(context: AuthTokenContext): String`, `context.vehicleId!!`)
 */
package com.google.android.libraries.mapsplatform.transportation.driver.api.base.data

class AuthTokenContext internal constructor(val vehicleId: String?, val taskId: String? = null) {
    interface AuthTokenFactory {
        fun getToken(context: AuthTokenContext): String
    }
}
