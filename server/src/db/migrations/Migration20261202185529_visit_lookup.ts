import { Migration } from '@mikro-orm/migrations';

export class Migration20261202185529_visit_lookup extends Migration {

  override name = 'Migration20261202185529_visit_lookup';

  override up(): void | Promise<void> {
    this.addSql(`drop index "room_visits_user_idx";`);
    this.addSql(`create index "room_visits_user_room_idx" on "room_visits" ("user_id", "room_id", "id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "room_visits_user_room_idx";`);
    this.addSql(`create index "room_visits_user_idx" on "room_visits" ("user_id");`);
  }

}
