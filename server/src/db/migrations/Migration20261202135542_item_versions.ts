import { Migration } from '@mikro-orm/migrations';

export class Migration20261202135542_item_versions extends Migration {

  override name = 'Migration20261202135542_item_versions';

  override up(): void | Promise<void> {
    this.addSql(`alter table "items" add "version" int not null default 0;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "items" drop column "version";`);
  }

}
