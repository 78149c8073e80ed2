// Proximity media seen in the game: speaking rings on avatars and each voice's volume fading
// with distance. Reads what the scene draws; a few times a second is enough for both.
import { RTC } from "../../../shared/src/media.ts";
import { privateAreaAt } from "../../../shared/src/sim/proximity.ts";
import type { MediaMesh } from "../media/mesh.ts";
import { fadeVolume } from "../media/fade.ts";
import type { GameScene } from "./scene.ts";

const EVERY_MS = 200;

export function bindMediaToScene(mesh: MediaMesh, scene: GameScene, talkRadius: () => number): () => void {
  const tick = () => {
    const people = scene.people();
    const objects = scene.objectLooks();
    const me = people.find((p) => p.self);
    const myArea = me ? privateAreaAt(me, objects) : 0;
    const where = new Map(people.map((p) => [p.user_id, p]));
    mesh.fade((id) => {
      const other = where.get(id);
      if (!me || !other) return 1;
      if (myArea && privateAreaAt(other, objects) === myArea) return 1;
      return fadeVolume(Math.hypot(other.x - me.x, other.y - me.y), talkRadius());
    });
    scene.setSpeaking(mesh.view.get().speaking);
  };
  const timer = setInterval(tick, EVERY_MS);
  return () => clearInterval(timer);
}

export const DEFAULT_TALK_RADIUS = RTC.defaultTalkRadius;
