import {
  TOKEN_TYPES,
  type AuthTokenFetcherOptions,
  type TokenType,
} from "fleet-engine-firebase-tokens-web";
import { DEMO_USERS } from "../../scripts/lib/demo-data.mjs";

/**
 * What each seeded demo account may ask for, as the Maps JavaScript libraries would ask: a
 * token type and the `{ context, serviceType }` they pass to the authTokenFetcher. Every
 * account can also try someone else's trip, to see the refusal.
 */
export interface DemoTokenRequest {
  readonly id: string;
  readonly label: string;
  readonly type: TokenType;
  readonly fetch: AuthTokenFetcherOptions;
  /** Expected to be refused: shown as such on the page, with why. */
  readonly refused?: boolean;
  readonly why?: string;
}

export interface DemoAccount {
  readonly uid: string;
  readonly email: string;
  readonly password: string;
  readonly role: string;
  readonly requests: readonly DemoTokenRequest[];
}

const SOMEONE_ELSES_TRIP: DemoTokenRequest = {
  id: "consumer-trip-2",
  label: "consumer · trip-2 (someone else's trip)",
  type: "consumer",
  fetch: { context: { tripId: "trip-2" }, serviceType: "TRIP_SERVICE" },
  refused: true,
  why: "this is not the account's trip.",
};

const REQUESTS_BY_UID: Readonly<Record<string, readonly DemoTokenRequest[]>> = {
  "demo-driver": [
    {
      id: "driver-vehicle-1",
      label: "driver · vehicle-1",
      type: "driver",
      fetch: { context: { vehicleId: "vehicle-1" }, serviceType: "UNKNOWN_SERVICE" },
    },
  ],
  "demo-delivery-driver": [
    {
      id: "delivery-driver",
      label: "deliveryDriver · delivery-vehicle-1",
      type: "deliveryDriver",
      fetch: {
        context: { deliveryVehicleId: "delivery-vehicle-1" },
        serviceType: "DELIVERY_VEHICLE_SERVICE",
      },
    },
    {
      id: "trusted-delivery-driver-task-1",
      label: "trustedDeliveryDriver · delivery-vehicle-1, task-1 (opt-in type)",
      type: "trustedDeliveryDriver",
      fetch: {
        context: { deliveryVehicleId: "delivery-vehicle-1", taskId: "task-1" },
        serviceType: "TASK_SERVICE",
      },
    },
    {
      id: "trusted-delivery-driver-task-2",
      label: "trustedDeliveryDriver · task-2 (another vehicle's task)",
      type: "trustedDeliveryDriver",
      fetch: { context: { taskId: "task-2" }, serviceType: "TASK_SERVICE" },
      refused: true,
      why: "task-2 is not a task of the driver's delivery vehicle.",
    },
  ],
  "demo-rider": [
    {
      id: "consumer-trip-1",
      label: "consumer · trip-1",
      type: "consumer",
      fetch: { context: { tripId: "trip-1" }, serviceType: "TRIP_SERVICE" },
    },
    {
      id: "delivery-consumer-shipment-1",
      label: "deliveryConsumer · shipment-1",
      type: "deliveryConsumer",
      fetch: { context: { trackingId: "shipment-1" }, serviceType: "TASK_SERVICE" },
    },
    {
      id: "delivery-consumer-task-1",
      label: "deliveryConsumer · task-1 (by task ID)",
      type: "deliveryConsumer",
      fetch: { context: { taskId: "task-1" }, serviceType: "TASK_SERVICE" },
    },
  ],
  "demo-operator": [
    {
      id: "fleet-reader",
      label: "fleetReader · every vehicle and trip",
      type: "fleetReader",
      fetch: { context: {}, serviceType: "TRIP_SERVICE" },
    },
    {
      id: "delivery-fleet-reader",
      label: "deliveryFleetReader · every delivery vehicle, task and shipment",
      type: "deliveryFleetReader",
      fetch: { context: {}, serviceType: "DELIVERY_VEHICLE_SERVICE" },
    },
  ],
};

/** A request for a type the stack does not serve (ENABLED_TOKEN_TYPES) is refused. */
function servedOrRefused(
  request: DemoTokenRequest,
  enabledTypes: readonly string[],
): DemoTokenRequest {
  if (enabledTypes.includes(request.type)) return request;
  return {
    ...request,
    label: `${request.label} (type not enabled)`,
    refused: true,
    why: "ENABLED_TOKEN_TYPES does not list this type.",
  };
}

/** The demo accounts and their requests, for the token types the stack serves. */
export function demoAccounts(enabledTypes: readonly string[]): readonly DemoAccount[] {
  return DEMO_USERS.map((user) => ({
    uid: user.uid,
    email: user.email,
    password: user.password,
    role: user.role,
    requests: [...(REQUESTS_BY_UID[user.uid] ?? []), SOMEONE_ELSES_TRIP].map((request) =>
      servedOrRefused(request, enabledTypes),
    ),
  }));
}

/** Every type served, the opt-in trustedDeliveryDriver included. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = demoAccounts(TOKEN_TYPES);

export function accountByUid(
  uid: string | undefined,
  accounts: readonly DemoAccount[] = DEMO_ACCOUNTS,
): DemoAccount | undefined {
  return accounts.find((account) => account.uid === uid);
}
