import { Migration } from '@mikro-orm/migrations';

export class Migration20261201035311_rooms_shared extends Migration {

  override name = 'Migration20261201035311_rooms_shared';

  override up(): void | Promise<void> {
    this.addSql(`create table "room_sanctions" ("id" serial primary key, "room_id" int not null, "user_id" int not null, "kind" varchar(8) not null, "until" timestamptz null, "by_user_id" int not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "room_sanctions_user_idx" on "room_sanctions" ("user_id");`);
    this.addSql(`alter table "room_sanctions" add constraint "room_sanctions_room_user_kind_unique" unique ("room_id", "user_id", "kind");`);

    this.addSql(`create table "room_members" ("id" serial primary key, "room_id" int not null, "user_id" int not null, "role" varchar(16) not null, "added_at" timestamptz not null);`);
    this.addSql(`create index "room_members_user_idx" on "room_members" ("user_id");`);
    this.addSql(`alter table "room_members" add constraint "room_members_room_user_unique" unique ("room_id", "user_id");`);

    this.addSql(`create table "room_invites" ("id" serial primary key, "code" varchar(64) not null, "room_id" int not null, "role" varchar(16) not null, "uses" int not null default 0, "max_uses" int null, "expires_at" timestamptz null, "created_by" int not null, "revoked_at" timestamptz null, "created_at" timestamptz not null);`);
    this.addSql(`alter table "room_invites" add constraint "room_invites_code_unique" unique ("code");`);
    this.addSql(`create index "room_invites_room_idx" on "room_invites" ("room_id");`);

    this.addSql(`create table "room_invite_uses" ("id" serial primary key, "invite_id" int not null, "user_id" int not null, "used_at" timestamptz not null);`);
    this.addSql(`create index "room_invite_uses_user_idx" on "room_invite_uses" ("user_id");`);
    this.addSql(`alter table "room_invite_uses" add constraint "room_invite_uses_invite_user_unique" unique ("invite_id", "user_id");`);

    // Rooms made before build rights keep what they allowed (anyone could build); new rooms default to builders.
    this.addSql(`alter table "rooms" add "build_policy" varchar(16) not null default 'everyone';`);
    this.addSql(`alter table "rooms" alter column "build_policy" set default 'builders';`);

    this.addSql(`alter table "chat_messages" add "to_user_id" int null;`);

    this.addSql(`alter table "room_sanctions" add constraint "room_sanctions_room_id_foreign" foreign key ("room_id") references "rooms" ("id") on delete cascade;`);
    this.addSql(`alter table "room_sanctions" add constraint "room_sanctions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "room_sanctions" add constraint "room_sanctions_kind_check" check (kind in ('ban', 'mute'));`);

    this.addSql(`alter table "room_members" add constraint "room_members_room_id_foreign" foreign key ("room_id") references "rooms" ("id") on delete cascade;`);
    this.addSql(`alter table "room_members" add constraint "room_members_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "room_members" add constraint "room_members_role_check" check (role in ('member', 'builder', 'moderator'));`);

    this.addSql(`alter table "room_invites" add constraint "room_invites_room_id_foreign" foreign key ("room_id") references "rooms" ("id") on delete cascade;`);

    this.addSql(`alter table "room_invite_uses" add constraint "room_invite_uses_invite_id_foreign" foreign key ("invite_id") references "room_invites" ("id") on delete cascade;`);
    this.addSql(`alter table "room_invite_uses" add constraint "room_invite_uses_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "room_invite_uses" drop constraint "room_invite_uses_invite_id_foreign";`);

    this.addSql(`drop table if exists "room_sanctions" cascade;`);
    this.addSql(`drop table if exists "room_members" cascade;`);
    this.addSql(`drop table if exists "room_invites" cascade;`);
    this.addSql(`drop table if exists "room_invite_uses" cascade;`);

    this.addSql(`alter table "chat_messages" drop column "to_user_id";`);

    this.addSql(`alter table "rooms" drop column "build_policy";`);
  }

}
