-- An erased user's contact and notifications are never written again, even by an event whose
-- handler read the database before the erasure committed (docs/adr/0028).
CREATE TRIGGER `contacts_not_erased` BEFORE INSERT ON `contacts`
WHEN EXISTS (SELECT 1 FROM `erased_users` WHERE `user_id` = NEW.`user_id`)
BEGIN
	SELECT RAISE(IGNORE);
END;
--> statement-breakpoint
CREATE TRIGGER `notifications_not_erased` BEFORE INSERT ON `notifications`
WHEN EXISTS (SELECT 1 FROM `erased_users` WHERE `user_id` = NEW.`user_id`)
BEGIN
	SELECT RAISE(IGNORE);
END;
