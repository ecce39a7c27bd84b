//! A hot standby of an [`OwnPostgres`], for the tests of reads from a replica: a copy made with
//! `pg_basebackup -R` (which writes the settings that make it follow the primary), streaming from
//! a replication slot of the primary's (which keeps the WAL the standby has not had while it is
//! stopped), started on a port of its own. Stopped when dropped, as its primary is.

use super::{OwnPostgres, check};

impl OwnPostgres {
    /// A new hot standby of this server, started.
    pub fn standby(&self) -> OwnPostgres {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("a free port")
            .local_addr()
            .expect("its address")
            .port();
        let standby = OwnPostgres { dir, bin: self.bin.clone(), as_root: self.as_root, port };
        if self.as_root {
            check(
                "chown",
                std::process::Command::new("chown").args([
                    "-R",
                    "postgres:postgres",
                    &standby.dir.path().display().to_string(),
                ]),
            );
        }
        let (from, data, slot) = (self.port.to_string(), standby.data(), format!("standby_{port}"));
        let mut basebackup = standby.command("pg_basebackup");
        check(
            "pg_basebackup",
            basebackup.args(["-h", "127.0.0.1", "-p", &from, "-U", "postgres", "-D", &data]).args([
                "-R",
                "-X",
                "stream",
                "-C",
                "-S",
                &slot,
                "--no-sync",
            ]),
        );
        standby.pg_ctl(&["start"]);
        standby
    }

    /// `pg_ctl stop -m immediate`: the server is gone at once, its connections cut, as when its
    /// machine fails.
    pub fn stop_immediately(&self) {
        self.pg_ctl(&["stop", "-m", "immediate"]);
    }
}
