-- The prior that drew each picture's condition (null: none did), so that a picture says how it was drawn and a
-- redraw can go the same way.
ALTER TABLE jobs ADD COLUMN prior_model_id text;
