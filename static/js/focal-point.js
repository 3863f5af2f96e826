// The media library's focal point (media/admin.py): a click on the image sets
// the focal_x / focal_y fields (0..1), moves the dot and re-centres the crop
// previews. No inline script or style: loaded as a file (CSP), styles set here.
(function () {
  "use strict";

  function setup(picker) {
    var image = picker.querySelector("img");
    var dot = picker.querySelector(".focal-picker__dot");
    var fieldX = document.getElementById("id_focal_x");
    var fieldY = document.getElementById("id_focal_y");
    if (!image || !fieldX || !fieldY) {
      return;
    }

    function show(x, y) {
      dot.style.left = x * 100 + "%";
      dot.style.top = y * 100 + "%";
      var previews = document.querySelectorAll(".crop-preview img");
      for (var i = 0; i < previews.length; i++) {
        previews[i].style.objectPosition = x * 100 + "% " + y * 100 + "%";
      }
    }

    function round(value) {
      return Math.round(Math.min(1, Math.max(0, value)) * 100) / 100;
    }

    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      var x = round((event.clientX - box.left) / box.width);
      var y = round((event.clientY - box.top) / box.height);
      fieldX.value = x;
      fieldY.value = y;
      show(x, y);
    });
    [fieldX, fieldY].forEach(function (field) {
      field.addEventListener("input", function () {
        show(round(parseFloat(fieldX.value) || 0), round(parseFloat(fieldY.value) || 0));
      });
    });
    show(parseFloat(picker.dataset.focalX), parseFloat(picker.dataset.focalY));
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".focal-picker").forEach(setup);
  });
})();
