// Interest management for halls: in a room meant for hundreds, each connection receives only the
// players near it (plus every object), so bytes and per-player work do not grow with the crowd.
// Defined once here: the server applies it, the README and the client describe it.

/** A room with more seats than this is a hall: players travel only to those within VIEW_RADIUS. */
export const HALL_MIN_USERS = 101;
/** Players within this distance (px, centre to centre) enter your view. */
export const VIEW_RADIUS = 600;
/** ...and leave it only beyond this one, so someone at the edge does not flicker in and out. */
export const VIEW_EXIT_RADIUS = 700;
/** How often the server recomputes who sees whom. */
export const VIEW_REFRESH_MS = 200;

export function isHall(maxUsers: number): boolean {
  return maxUsers >= HALL_MIN_USERS;
}
