// The avatar editor: a control per part (each a small enum or a colour) and a live preview drawn
// by the same code that draws avatars in rooms.
import { Application, Graphics } from "pixi.js";
import { useEffect, useRef } from "react";
import { AVATAR_ACCESSORIES, AVATAR_BODIES, AVATAR_HAIRS, AVATAR_SKINS, type Avatar } from "../../../shared/src/appearance.ts";
import { drawAvatar, type Facing } from "../game/avatar.ts";
import { useT } from "../i18n/index.ts";

const CHOICES = { body: AVATAR_BODIES, skin: AVATAR_SKINS, hair: AVATAR_HAIRS, accessory: AVATAR_ACCESSORIES } as const;
const FACINGS: Facing[] = ["down", "left", "up", "right"];

export function AvatarEditor({ value, onChange }: { value: Avatar; onChange: (a: Avatar) => void }) {
  const t = useT();
  return (
    <fieldset className="avatar-editor" data-testid="avatar-editor">
      <legend>{t("profile.avatar")}</legend>
      <AvatarPreview avatar={value} />
      {(Object.keys(CHOICES) as (keyof typeof CHOICES)[]).map((part) => (
        <label key={part}>
          {t(`avatar.${part}`)}
          <select data-testid={`avatar-${part}`} value={value[part]} onChange={(e) => onChange({ ...value, [part]: e.target.value })}>
            {CHOICES[part].map((v) => (
              <option key={v} value={v}>
                {t(`avatarChoice.${v}`)}
              </option>
            ))}
          </select>
        </label>
      ))}
      {(["hair_color", "outfit_color"] as const).map((part) => (
        <label key={part}>
          {t(`avatar.${part}`)}
          <input type="color" data-testid={`avatar-${part}`} value={value[part]} onChange={(e) => onChange({ ...value, [part]: e.target.value })} />
        </label>
      ))}
    </fieldset>
  );
}

/** The avatar from four sides, redrawn whenever a part changes. */
function AvatarPreview({ avatar }: { avatar: Avatar }) {
  const t = useT();
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<{ app: Application; g: Graphics } | null>(null);
  const latest = useRef(avatar);
  latest.current = avatar;

  useEffect(() => {
    const app = new Application();
    let alive = true;
    void app.init({ width: 240, height: 80, backgroundAlpha: 0, antialias: true, resolution: globalThis.devicePixelRatio || 1, autoDensity: true }).then(() => {
      if (!alive) return app.destroy(true);
      const g = new Graphics();
      app.stage.addChild(g);
      host.current?.appendChild(app.canvas);
      view.current = { app, g };
      draw(view.current, latest.current);
    });
    return () => {
      alive = false;
      if (view.current) view.current.app.destroy(true, { children: true });
      view.current = null;
    };
  }, []);

  useEffect(() => {
    if (view.current) draw(view.current, avatar);
  }, [avatar]);

  return <div className="avatar-preview" ref={host} role="img" aria-label={t("profile.preview")} data-testid="avatar-preview" />;
}

function draw(v: { app: Application; g: Graphics }, a: Avatar): void {
  v.g.clear();
  FACINGS.forEach((facing, i) => {
    const one = drawAvatar(new Graphics(), a, facing, "idle");
    one.position.set(30 + i * 60, 62);
    one.scale.set(1.3);
    v.g.addChild(one);
  });
  for (const child of v.g.children.slice(0, -FACINGS.length)) child.destroy();
  v.app.render();
}
