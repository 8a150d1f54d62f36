-- The two database roles of a production installation (compose.yaml mounts this
-- into PostgreSQL's first start). The owner runs migrate and db_grant_app_role;
-- the application connects as samverkan_app, which owns nothing and is no
-- superuser, so it cannot alter the tables or switch off their triggers.
-- Change the passwords.
CREATE ROLE samverkan_owner LOGIN PASSWORD 'samverkan_owner';
CREATE ROLE samverkan_app LOGIN PASSWORD 'samverkan_app';
ALTER DATABASE samverkan OWNER TO samverkan_owner;
ALTER SCHEMA public OWNER TO samverkan_owner;
