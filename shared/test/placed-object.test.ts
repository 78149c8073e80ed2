// The placed-object schema is the one declaration: every shape that carries an object is derived
// from it, in its field order, and the room state's object has exactly its fields.
import { describe, expect, it } from "@jest/globals";
import { ItemOut as ApiItemOut } from "../src/api.ts";
import { ItemOut, PlacedObject, RoomObject, roomObjectOf, sameRoomObject, unplaced } from "../src/placed-object.ts";
import { ExportedObject } from "../src/room-export.ts";
import { ObjectState } from "../src/state.ts";

const placed = { id: 7, type: "table", name: "Big table", owner_id: 3, room_id: 11, x: 48, y: 80, rotation: 90 } as const;

describe("placed object schema", () => {
  it("keeps the contract's item fields, in the contract's order, for REST and the room", () => {
    expect(Object.keys(PlacedObject.shape)).toEqual(["id", "type", "name", "owner_id", "room_id", "x", "y", "rotation"]);
    expect(ApiItemOut).toBe(ItemOut);
    expect(Object.keys(ItemOut.shape)).toEqual(Object.keys(PlacedObject.shape));
    expect(Object.keys(RoomObject.shape)).toEqual(["id", "type", "name", "owner_id", "x", "y", "rotation"]);
    expect(Object.keys(ExportedObject.shape)).toEqual(["type", "name", "x", "y", "rotation"]);
  });

  it("lets an item in an inventory have no room and no position, and nothing else", () => {
    const inInventory = unplaced(placed);
    expect(inInventory).toEqual({ id: 7, type: "table", name: "Big table", owner_id: 3, room_id: null, x: null, y: null, rotation: null });
    expect(ItemOut.parse(inInventory)).toEqual(inInventory);
    expect(ItemOut.safeParse({ ...inInventory, owner_id: null }).success).toBe(false);
    expect(PlacedObject.safeParse(inInventory).success).toBe(false);
  });

  it("keeps the export's own rules: a trimmed name and a right-angle rotation", () => {
    expect(ExportedObject.parse({ type: "chair", name: "  Seat ", x: 1, y: 2, rotation: 180 })).toEqual({ type: "chair", name: "Seat", x: 1, y: 2, rotation: 180 });
    expect(ExportedObject.safeParse({ type: "chair", name: "Seat", x: 1, y: 2, rotation: 45 }).success).toBe(false);
    expect(ExportedObject.safeParse({ type: "chair", name: " ", x: 1, y: 2, rotation: 0 }).success).toBe(false);
  });

  it("maps an item into the room state and back to the snapshot through one function, field for field", () => {
    const fields = roomObjectOf(placed);
    expect(Object.keys(fields)).toEqual(Object.keys(RoomObject.shape));
    expect(fields).toEqual({ id: 7, type: "table", name: "Big table", owner_id: 3, x: 48, y: 80, rotation: 90 });
    const state = new ObjectState(fields);
    expect(state.toJSON()).toEqual(fields);
    expect(roomObjectOf(state)).toEqual(fields);
    expect(sameRoomObject(state, fields)).toBe(true);
    for (const [key, changed] of Object.entries({ name: "Small table", owner_id: 4, x: 49, y: 81, rotation: 180, type: "desk" })) {
      expect(sameRoomObject(state, { ...fields, [key]: changed })).toBe(false);
    }
  });
});
