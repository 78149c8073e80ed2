// The message table's payload checks without a server: a valid payload comes out as its schema
// outputs it, a refused one carries zod's words for why, and zod parses a refused payload once.
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { CLIENT_MESSAGES, PAYLOADS } from "../../shared/src/protocol.ts";
import { Invalid, payloadOf } from "../src/rooms/message-table.ts";

describe("payloadOf", () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it("parses a refused payload once and says where it is wrong", () => {
    const parse = jest.spyOn(PAYLOADS[CLIENT_MESSAGES.sendMessage], "safeParse");
    const refused = payloadOf(CLIENT_MESSAGES.sendMessage)({ message: 12 });
    expect(refused).toBeInstanceOf(Invalid);
    expect((refused as Invalid).problem).toMatch(/^message: /);
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it("passes a valid payload through its schema", () => {
    expect(payloadOf(CLIENT_MESSAGES.sendMessage)({ message: "hello" })).toMatchObject({ message: "hello" });
  });

  it("lets the hand-written twin decide a hot message, and zod only word its refusal", () => {
    const parse = jest.spyOn(PAYLOADS[CLIENT_MESSAGES.updatePosition], "safeParse");
    const validate = payloadOf(CLIENT_MESSAGES.updatePosition);
    expect(validate({ x: 10, y: 20 })).toMatchObject({ x: 10, y: 20 });
    expect(parse).not.toHaveBeenCalled();
    const refused = validate({ x: "east", y: 20 });
    expect(refused).toBeInstanceOf(Invalid);
    expect((refused as Invalid).problem).toMatch(/^x: /);
    expect(parse).toHaveBeenCalledTimes(1);
  });
});
