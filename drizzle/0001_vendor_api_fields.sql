ALTER TABLE `env_vars` ADD `created_at` integer;--> statement-breakpoint
ALTER TABLE `hooks` ADD `dependencies` text DEFAULT '{}' NOT NULL;