import { Migration } from '@mikro-orm/migrations';

export class Migration20261125014125_moderation extends Migration {

  override name = 'Migration20261125014125_moderation';

  override up(): void | Promise<void> {
    this.addSql(`create table "moderation_actions" ("id" serial primary key, "admin_id" int not null, "admin_username" varchar(32) not null, "action" varchar(16) not null, "target_user_id" int null, "room_id" int null, "object_id" int null, "minutes" int null, "reason" varchar(500) null, "created_at" timestamptz not null);`);
    this.addSql(`create index "moderation_actions_target_idx" on "moderation_actions" ("target_user_id");`);

    this.addSql(`alter table "users" add "banned_at" timestamptz null, add "muted_until" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "moderation_actions" cascade;`);

    this.addSql(`alter table "users" drop column "banned_at", drop column "muted_until";`);
  }

}
