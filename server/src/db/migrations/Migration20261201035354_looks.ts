import { Migration } from '@mikro-orm/migrations';

export class Migration20261201035354_looks extends Migration {

  override name = 'Migration20261201035354_looks';

  override up(): void | Promise<void> {
    this.addSql(`alter table "users" add "avatar" jsonb null;`);

    this.addSql(`alter table "rooms" add "theme_floor" varchar(16) not null default 'wood', add "wall_color" varchar(7) not null default '#6d4c41';`);

    this.addSql(`alter table "items" drop constraint "items_type_check";`);
    this.addSql(`alter table "items" add constraint "items_type_check" check (type in ('chair', 'wall', 'table', 'plant', 'tool', 'sofa', 'armchair', 'stool', 'desk', 'counter', 'coffee_machine', 'bookshelf', 'lamp', 'rug', 'partition'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "items" drop constraint "items_type_check";`);
    this.addSql(`alter table "items" add constraint "items_type_check" check (type in ('chair', 'wall', 'table', 'plant', 'tool'));`);

    this.addSql(`alter table "rooms" drop column "theme_floor", drop column "wall_color";`);

    this.addSql(`alter table "users" drop column "avatar";`);
  }

}
