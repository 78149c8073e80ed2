// How people and rooms look: the avatar a person chooses and a room's theme. Each part is a small
// enum or a colour, validated by these schemas on REST and carried in the room state.
import { z } from "zod";

export const AVATAR_BODIES = ["regular", "slim", "broad"] as const;
export const AVATAR_SKINS = ["porcelain", "light", "tan", "olive", "brown", "deep"] as const;
export const AVATAR_HAIRS = ["none", "short", "long", "curly", "bun", "mohawk"] as const;
export const AVATAR_ACCESSORIES = ["none", "glasses", "hat", "headphones", "scarf"] as const;

/** Skin tones as drawn; the enum keeps the choice stable if the palette is retuned. */
export const SKIN_COLORS: Record<(typeof AVATAR_SKINS)[number], string> = {
  porcelain: "#f6dcc8",
  light: "#eec19e",
  tan: "#d49a6a",
  olive: "#b98a55",
  brown: "#8d5a3b",
  deep: "#5b3a29",
};

const Color = z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour is #rrggbb");

export const Avatar = z.object({
  body: z.enum(AVATAR_BODIES),
  skin: z.enum(AVATAR_SKINS),
  hair: z.enum(AVATAR_HAIRS),
  hair_color: Color,
  outfit_color: Color,
  accessory: z.enum(AVATAR_ACCESSORIES),
});
export type Avatar = z.infer<typeof Avatar>;

const HAIR_COLORS = ["#2b1b12", "#5a3825", "#a0522d", "#d8b26e", "#1c1c1c", "#b5b5b5"] as const;
const OUTFIT_COLORS = ["#3f7fbf", "#c0392b", "#27ae60", "#8e44ad", "#e67e22", "#16a085", "#34495e", "#d35486"] as const;

/** A stable, varied default for a user who never chose: each part picked from a hash of the id. */
export function defaultAvatar(userId: number): Avatar {
  let h = (userId * 2654435761) >>> 0;
  const pick = <T>(list: readonly T[]): T => {
    const v = list[h % list.length]!;
    h = Math.floor(h / list.length) ^ ((h * 31) >>> 7);
    return v;
  };
  return {
    body: pick(AVATAR_BODIES),
    skin: pick(AVATAR_SKINS),
    hair: pick(AVATAR_HAIRS.filter((x) => x !== "none")),
    hair_color: pick(HAIR_COLORS),
    outfit_color: pick(OUTFIT_COLORS),
    accessory: "none",
  };
}

export const FLOORS = ["wood", "tiles", "carpet", "stone", "grass"] as const;
export type Floor = (typeof FLOORS)[number];

export const RoomTheme = z.object({ floor: z.enum(FLOORS), wall_color: Color });
export type RoomTheme = z.infer<typeof RoomTheme>;

export const DEFAULT_THEME: RoomTheme = { floor: "wood", wall_color: "#6d4c41" };

/** A partial change applied to an avatar; colours are kept lower-case so equal looks compare equal. */
export function mergeAvatar(current: Avatar, patch: Partial<Avatar>): Avatar {
  const next = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as Avatar;
  return { ...next, hair_color: next.hair_color.toLowerCase(), outfit_color: next.outfit_color.toLowerCase() };
}

/** One string per look: the key under which the client caches an avatar's textures. */
export function avatarKey(a: Avatar): string {
  return [a.body, a.skin, a.hair, a.hair_color, a.outfit_color, a.accessory].join("|");
}
