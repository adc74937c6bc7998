// Contest page: autosave each answer and count down the server's remaining time.
// The form works without this script; the server enforces the time limit either way.
(function () {
  var form = document.getElementById("bai-thi");
  if (!form) return;
  var status = document.getElementById("trang-thai");
  var pending = null;
  function save() {
    pending = null;
    var body = new URLSearchParams(new FormData(form));
    fetch(form.dataset.save, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) {
        status.textContent = r.ok ? "Đã lưu câu trả lời." : "Chưa lưu được câu trả lời (mã " + r.status + ").";
      })
      .catch(function () { status.textContent = "Mất kết nối: câu trả lời sẽ được gửi khi nộp bài."; });
  }
  form.addEventListener("change", function () {
    if (pending) clearTimeout(pending);
    pending = setTimeout(save, 300);
  });
  var left = document.getElementById("con-lai");
  var secs = parseInt(left.dataset.secs, 10);
  var end = Date.now() + secs * 1000;
  function tick() {
    var s = Math.max(0, Math.round((end - Date.now()) / 1000));
    left.textContent = Math.floor(s / 60) + " phút " + (s % 60) + " giây";
    if (s === 0) { form.submit(); return; }
    setTimeout(tick, 1000);
  }
  tick();
})();
