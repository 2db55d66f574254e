CREATE TABLE `cache_stamps` (
	`key` text PRIMARY KEY NOT NULL,
	`stamp` integer NOT NULL,
	`changed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cache_stamps_stamp` ON `cache_stamps` (`stamp`);--> statement-breakpoint
CREATE INDEX `cache_stamps_changed_at` ON `cache_stamps` (`changed_at`);--> statement-breakpoint
DROP TABLE `cache_generations`;