/** A child process that opens (and so migrates) the database at argv[2], then prints its schema version. */
import { openDatabase, schemaVersion } from '../../src/store/db.js';

const db = openDatabase(process.argv[2]!);
process.stdout.write(`${schemaVersion(db)}\n`);
db.close();
