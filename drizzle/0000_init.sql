CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE INDEX `api_tokens_tenant_idx` ON `api_tokens` (`tenant_id`,`id`);--> statement-breakpoint
CREATE TABLE `env_vars` (
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`value_encrypted` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `name`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `execution_logs` (
	`execution_id` text NOT NULL,
	`seq` integer NOT NULL,
	`level` text NOT NULL,
	`message` text NOT NULL,
	`time` integer NOT NULL,
	PRIMARY KEY(`execution_id`, `seq`),
	FOREIGN KEY (`execution_id`) REFERENCES `executions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `executions` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`hook_id` text NOT NULL,
	`version_id` text,
	`trigger_id` text NOT NULL,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`attempts` integer NOT NULL,
	`payload` text,
	`response` text,
	`effective_response` text,
	`outcome` text,
	`warnings` text NOT NULL,
	`error` text,
	`logs_truncated` integer DEFAULT false NOT NULL,
	`duration_ms` integer,
	`cpu_time_ms` integer,
	`pending_input` text,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`hook_id`) REFERENCES `hooks`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`version_id`) REFERENCES `hook_versions`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `executions_tenant_id_idx` ON `executions` (`tenant_id`,`id`);--> statement-breakpoint
CREATE INDEX `executions_tenant_hook_idx` ON `executions` (`tenant_id`,`hook_id`,`id`);--> statement-breakpoint
CREATE INDEX `executions_tenant_trigger_idx` ON `executions` (`tenant_id`,`trigger_id`,`id`);--> statement-breakpoint
CREATE INDEX `executions_tenant_status_idx` ON `executions` (`tenant_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `executions_status_idx` ON `executions` (`status`);--> statement-breakpoint
CREATE INDEX `executions_hook_idx` ON `executions` (`hook_id`);--> statement-breakpoint
CREATE INDEX `executions_version_idx` ON `executions` (`version_id`);--> statement-breakpoint
CREATE INDEX `executions_created_idx` ON `executions` (`created_at`);--> statement-breakpoint
CREATE TABLE `hook_secrets` (
	`hook_id` text NOT NULL,
	`name` text NOT NULL,
	`value_encrypted` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`hook_id`, `name`),
	FOREIGN KEY (`hook_id`) REFERENCES `hooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `hook_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`hook_id` text NOT NULL,
	`version` integer NOT NULL,
	`script` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`hook_id`) REFERENCES `hooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hook_versions_hook_version_uq` ON `hook_versions` (`hook_id`,`version`);--> statement-breakpoint
CREATE TABLE `hooks` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`trigger_id` text NOT NULL,
	`enabled` integer NOT NULL,
	`timeout_ms` integer NOT NULL,
	`retries` integer NOT NULL,
	`conditions` text NOT NULL,
	`options` text NOT NULL,
	`env_var_names` text NOT NULL,
	`context_version` text,
	`status` text NOT NULL,
	`version` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hooks_tenant_name_uq` ON `hooks` (`tenant_id`,`name`);--> statement-breakpoint
CREATE INDEX `hooks_tenant_trigger_idx` ON `hooks` (`tenant_id`,`trigger_id`,`enabled`);--> statement-breakpoint
CREATE INDEX `hooks_tenant_id_idx` ON `hooks` (`tenant_id`,`id`);--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_name_unique` ON `tenants` (`name`);