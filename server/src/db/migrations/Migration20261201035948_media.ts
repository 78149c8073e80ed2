import { Migration } from '@mikro-orm/migrations';

export class Migration20261201035948_media extends Migration {

  override name = 'Migration20261201035948_media';

  override up(): void | Promise<void> {
    this.addSql(`alter table "rooms" add "talk_radius" int not null default 160;`);

    this.addSql(`alter table "items" drop constraint "items_type_check";`);
    this.addSql(`alter table "items" add constraint "items_type_check" check (type in ('chair', 'wall', 'table', 'plant', 'tool', 'sofa', 'armchair', 'stool', 'desk', 'counter', 'coffee_machine', 'bookshelf', 'lamp', 'rug', 'partition', 'private_area'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "items" drop constraint "items_type_check";`);
    this.addSql(`alter table "items" add constraint "items_type_check" check (type in ('chair', 'wall', 'table', 'plant', 'tool', 'sofa', 'armchair', 'stool', 'desk', 'counter', 'coffee_machine', 'bookshelf', 'lamp', 'rug', 'partition'));`);

    this.addSql(`alter table "rooms" drop column "talk_radius";`);
  }

}
