CREATE TABLE `contacts` (
	`user_id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`updated_at` text NOT NULL
);
