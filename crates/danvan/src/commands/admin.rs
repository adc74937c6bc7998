//! `danvan demo`, `danvan user create`, `danvan backup`.

use crate::cli::{DataArgs, UserCommand};
use anyhow::{Context, bail};
use danvan_db::Actor;
use danvan_db::accounts::{self, NewUser};
use danvan_db::authz::Role;
use std::io::Read;
use std::path::Path;

pub async fn demo(data: &DataArgs) -> anyhow::Result<()> {
    let db = super::open(data).await?;
    let logins = danvan_db::demo::load(&db.conn, chrono::Local::now().date_naive()).await?;
    println!("Đã nạp dữ liệu thử vào {}.", super::describe(&db));
    println!(
        "Tài khoản thử (mật khẩu chung: {}):",
        danvan_db::demo::DEMO_PASSWORD
    );
    for l in logins {
        println!("  {:<16} {}", l.username, l.description);
    }
    let round = danvan_db::demo::load_contest(&db.conn, chrono::Utc::now()).await?;
    println!("Cuộc thi thử đang mở: http://…/thi/{round}");
    println!("contest round: {round}");
    Ok(())
}

pub async fn api_key(data: &DataArgs, name: &str, scope: &str) -> anyhow::Result<()> {
    if !danvan_db::api_keys::SCOPES.contains(&scope) {
        bail!(
            "phạm vi “{scope}” không hợp lệ; dùng một trong: {}",
            danvan_db::api_keys::SCOPES.join(", ")
        );
    }
    let db = super::open(data).await?;
    let (saved, key) = danvan_db::api_keys::create(&db.conn, &Actor::system(), name, scope)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    eprintln!(
        "Đã tạo khóa “{}” (phạm vi {}). Khóa chỉ hiển thị một lần, hãy lưu lại:",
        saved.name, saved.scope
    );
    println!("{key}");
    Ok(())
}

pub async fn user(command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Create {
            data,
            username,
            full_name,
            unit,
            role,
        } => {
            let Some(role) = Role::parse(&role) else {
                bail!(
                    "vai trò “{role}” không hợp lệ; dùng một trong: {}",
                    Role::ALL.map(Role::as_str).join(", ")
                );
            };
            // The password never appears on the command line, where other users could see it.
            let password = match std::env::var("DANVAN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut s = String::new();
                    std::io::stdin()
                        .read_to_string(&mut s)
                        .context("không đọc được mật khẩu từ stdin")?;
                    s.trim_end_matches(['\n', '\r']).to_string()
                }
            };
            let db = super::open(&data).await?;
            let unit =
                danvan_db::demo::unit_by_code(&db.conn, &unit, chrono::Local::now().date_naive())
                    .await
                    .with_context(|| format!("không có đơn vị mã “{unit}” đang hoạt động"))?;
            let actor = Actor::system();
            let user = accounts::create_user_unchecked(
                &db.conn,
                &actor,
                NewUser {
                    username: &username,
                    full_name: &full_name,
                    email: None,
                    password: &password,
                    must_change_password: false,
                },
                Some(unit.id),
            )
            .await?;
            accounts::assign_role_unchecked(&db.conn, &actor, user.id, unit.id, role).await?;
            println!(
                "Đã tạo tài khoản {} ({}) trên {}.",
                user.username,
                role.label(),
                unit.name
            );
            Ok(())
        }
    }
}

pub async fn backup(data: &DataArgs, out: &Path) -> anyhow::Result<()> {
    let db = super::open(data).await?;
    let bytes = danvan_db::backup::sqlite_backup(&db, out).await?;
    println!("Đã sao lưu {} byte vào {}.", bytes, out.display());
    Ok(())
}
