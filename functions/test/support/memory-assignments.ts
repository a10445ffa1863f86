import type { AssignmentRepository, StoredDocument } from "../../src/entitlement/assignments.js";

/** An in-memory AssignmentRepository that counts its reads. */
export class MemoryAssignments implements AssignmentRepository {
  readonly drivers = new Map<string, StoredDocument>();
  readonly trips = new Map<string, StoredDocument>();
  readonly shipments = new Map<string, StoredDocument>();
  readonly tasks = new Map<string, StoredDocument>();
  reads = 0;

  async getDriver(uid: string): Promise<StoredDocument | undefined> {
    this.reads++;
    return this.drivers.get(uid);
  }

  async getTrip(tripId: string): Promise<StoredDocument | undefined> {
    this.reads++;
    return this.trips.get(tripId);
  }

  async getShipment(trackingId: string): Promise<StoredDocument | undefined> {
    this.reads++;
    return this.shipments.get(trackingId);
  }

  async getTask(taskId: string): Promise<StoredDocument | undefined> {
    this.reads++;
    return this.tasks.get(taskId);
  }
}
