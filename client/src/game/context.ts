// What the game's systems share: the scene, the stores the panels read, the connection, and the
// joined room's state.
import type { UserOut } from "../../../shared/src/api.ts";
import type { CafeState } from "../../../shared/src/state.ts";
import type { RoomConnection } from "../net/room-connection.ts";
import type { GameStores } from "../state/game.ts";
import type { GameScene } from "./scene.ts";

export interface GameContext {
  readonly scene: GameScene;
  readonly stores: GameStores;
  readonly connection: RoomConnection;
  readonly me: UserOut;
  readonly roomId: number;
  /** The joined room's state, while joined. */
  state(): CafeState | null;
  /** False once the game page is gone. */
  alive(): boolean;
}
