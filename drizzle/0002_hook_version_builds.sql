ALTER TABLE `hook_versions` ADD `dependencies` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `hook_versions` ADD `build_status` text DEFAULT 'READY' NOT NULL;--> statement-breakpoint
ALTER TABLE `hook_versions` ADD `bundle_key` text;--> statement-breakpoint
ALTER TABLE `hook_versions` ADD `resolved_packages` text;--> statement-breakpoint
ALTER TABLE `hook_versions` ADD `build_error` text;--> statement-breakpoint
CREATE INDEX `hook_versions_build_status_idx` ON `hook_versions` (`build_status`);