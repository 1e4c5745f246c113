"""The public side: citizens apply online and follow their case; the public reads every
published annual report and each unit's disclosure guide. No staff login on these pages."""
