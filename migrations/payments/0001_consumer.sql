CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`event_id` text,
	`event_type` text,
	`body` text NOT NULL,
	`attempts` integer NOT NULL,
	`received_at` text NOT NULL,
	`replayed_at` text
);
--> statement-breakpoint
CREATE TABLE `erased_users` (
	`user_id` text PRIMARY KEY NOT NULL,
	`erased_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `inbox` (
	`source` text NOT NULL,
	`id` text NOT NULL,
	`type` text NOT NULL,
	`processed_at` text NOT NULL,
	PRIMARY KEY(`source`, `id`)
);
