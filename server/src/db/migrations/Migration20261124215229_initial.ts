import { Migration } from '@mikro-orm/migrations';

export class Migration20261124215229_initial extends Migration {

  override name = 'Migration20261124215229_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "users" ("id" serial primary key, "username" varchar(32) not null, "email" varchar(254) not null, "password_hash" varchar(255) not null, "display_name" varchar(64) not null, "avatar_color" varchar(7) not null, "created_at" timestamptz not null);`);
    this.addSql(`create unique index "users_username_lower_unique" on "users" (lower("username"));`);
    this.addSql(`create unique index "users_email_lower_unique" on "users" (lower("email"));`);

    this.addSql(`create table "rooms" ("id" serial primary key, "name" varchar(100) not null, "description" text not null, "owner_id" int not null, "width" int not null, "height" int not null, "max_users" int not null, "is_private" boolean not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "rooms_owner_idx" on "rooms" ("owner_id");`);
    this.addSql(`create index "rooms_name_lower_idx" on "rooms" (lower("name"));`);

    this.addSql(`create table "tool_logs" ("id" serial primary key, "room_id" int not null, "user_id" int not null, "target_object_id" int not null, "action" varchar(16) not null, "result" text not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "tool_logs_user_idx" on "tool_logs" ("user_id");`);
    this.addSql(`create index "tool_logs_room_id_idx" on "tool_logs" ("room_id", "id");`);

    this.addSql(`create table "room_visits" ("id" serial primary key, "room_id" int not null, "user_id" int not null, "x" int not null, "y" int not null, "process_id" varchar(64) not null, "joined_at" timestamptz not null, "left_at" timestamptz null);`);
    this.addSql(`create index "room_visits_user_idx" on "room_visits" ("user_id");`);
    this.addSql(`create index "room_visits_room_joined_idx" on "room_visits" ("room_id", "joined_at");`);
    this.addSql(`create index "room_visits_open_idx" on "room_visits" ("room_id") where "left_at" is null;`);

    this.addSql(`create table "items" ("id" serial primary key, "type" varchar(16) not null, "name" varchar(64) not null, "owner_id" int not null, "room_id" int null, "x" int null, "y" int null, "rotation" int null, "created_at" timestamptz not null);`);
    this.addSql(`create index "items_owner_room_idx" on "items" ("owner_id", "room_id");`);
    this.addSql(`create index "items_room_idx" on "items" ("room_id");`);

    this.addSql(`create table "chat_messages" ("id" serial primary key, "room_id" int not null, "user_id" int not null, "username" varchar(32) not null, "message" text not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "chat_messages_user_idx" on "chat_messages" ("user_id");`);
    this.addSql(`create index "chat_messages_room_id_idx" on "chat_messages" ("room_id", "id");`);

    this.addSql(`alter table "rooms" add constraint "rooms_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "tool_logs" add constraint "tool_logs_room_id_foreign" foreign key ("room_id") references "rooms" ("id") on delete cascade;`);
    this.addSql(`alter table "tool_logs" add constraint "tool_logs_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "room_visits" add constraint "room_visits_room_id_foreign" foreign key ("room_id") references "rooms" ("id") on delete cascade;`);
    this.addSql(`alter table "room_visits" add constraint "room_visits_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);

    this.addSql(`alter table "items" add constraint "items_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "items" add constraint "items_room_id_foreign" foreign key ("room_id") references "rooms" ("id") on delete restrict;`);
    this.addSql(`alter table "items" add constraint "items_type_check" check (type in ('chair', 'wall', 'table', 'plant', 'tool'));`);
    this.addSql(`alter table "items" add constraint "items_one_place_check" check ((room_id is null and x is null and y is null and rotation is null) or (room_id is not null and x is not null and y is not null and rotation in (0, 90, 180, 270)));`);

    this.addSql(`alter table "chat_messages" add constraint "chat_messages_room_id_foreign" foreign key ("room_id") references "rooms" ("id") on delete cascade;`);
    this.addSql(`alter table "chat_messages" add constraint "chat_messages_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "rooms" drop constraint "rooms_owner_id_foreign";`);
    this.addSql(`alter table "tool_logs" drop constraint "tool_logs_user_id_foreign";`);
    this.addSql(`alter table "room_visits" drop constraint "room_visits_user_id_foreign";`);
    this.addSql(`alter table "items" drop constraint "items_owner_id_foreign";`);
    this.addSql(`alter table "chat_messages" drop constraint "chat_messages_user_id_foreign";`);
    this.addSql(`alter table "tool_logs" drop constraint "tool_logs_room_id_foreign";`);
    this.addSql(`alter table "room_visits" drop constraint "room_visits_room_id_foreign";`);
    this.addSql(`alter table "items" drop constraint "items_room_id_foreign";`);
    this.addSql(`alter table "chat_messages" drop constraint "chat_messages_room_id_foreign";`);

    this.addSql(`drop table if exists "users" cascade;`);
    this.addSql(`drop table if exists "rooms" cascade;`);
    this.addSql(`drop table if exists "tool_logs" cascade;`);
    this.addSql(`drop table if exists "room_visits" cascade;`);
    this.addSql(`drop table if exists "items" cascade;`);
    this.addSql(`drop table if exists "chat_messages" cascade;`);
  }

}
