import { Migration } from '@mikro-orm/migrations';

export class Migration20261201035339_retention_and_leaving extends Migration {

  override name = 'Migration20261201035339_retention_and_leaving';

  override up(): void | Promise<void> {
    this.addSql(`alter table "users" add "deleted_at" timestamptz null;`);

    this.addSql(`create index "tool_logs_created_idx" on "tool_logs" ("created_at");`);

    this.addSql(`create index "room_visits_left_idx" on "room_visits" ("left_at") where "left_at" is not null;`);

    this.addSql(`create index "chat_messages_created_idx" on "chat_messages" ("created_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "chat_messages_created_idx";`);

    this.addSql(`drop index "room_visits_left_idx";`);

    this.addSql(`drop index "tool_logs_created_idx";`);

    this.addSql(`alter table "users" drop column "deleted_at";`);
  }

}
