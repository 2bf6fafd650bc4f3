"""Getting data in: the fixture importer (``manage.py import_fixtures`` and the admin's
upload page at /admin/import/) and the synthetic-data generator
(``manage.py generate_synthetic_data``). No models of its own: it writes those of
``recommendations`` and ``responses``."""
